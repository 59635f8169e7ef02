import apt from "../../../modules/apt.js";
import { runModuleCases } from "../../helpers/module-tester.js";

runModuleCases(apt);
