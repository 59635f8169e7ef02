import { fileFlagsFact } from "../../../modules/facts/file-flags.js";
import { runFactCases } from "../../helpers/module-tester.js";

runFactCases(fileFlagsFact);
