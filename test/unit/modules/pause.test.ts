/** pause: the table of fixtures (the sleep on the host, the prompt without a terminal). */
import pause from "../../../modules/pause.js";
import { runModuleCases } from "../../helpers/module-tester.js";

runModuleCases(pause);
