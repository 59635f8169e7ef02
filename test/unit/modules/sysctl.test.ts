import sysctl from "../../../modules/sysctl.js";
import { runModuleCases } from "../../helpers/module-tester.js";

runModuleCases(sysctl);
