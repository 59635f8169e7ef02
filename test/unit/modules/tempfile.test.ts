/** tempfile: the table of fixtures (the mktemp command, the path it printed, check mode's predicted path). */
import tempfile from "../../../modules/tempfile.js";
import { runModuleCases } from "../../helpers/module-tester.js";

runModuleCases(tempfile);
