import shell from "../../../modules/shell.js";
import { runModuleCases } from "../../helpers/module-tester.js";

runModuleCases(shell);
