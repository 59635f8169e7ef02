import slurp from "../../../modules/slurp.js";
import { runModuleCases } from "../../helpers/module-tester.js";

runModuleCases(slurp);
