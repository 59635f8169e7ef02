import stat from "../../../modules/stat.js";
import { runModuleCases } from "../../helpers/module-tester.js";

runModuleCases(stat);
