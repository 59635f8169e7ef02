import { sysctlValue } from "../../../modules/facts/sysctl-value.js";
import { runFactCases } from "../../helpers/module-tester.js";

runFactCases(sysctlValue);
