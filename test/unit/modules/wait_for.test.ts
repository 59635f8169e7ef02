/** wait_for: the table of fixtures (paths looked at with a probe on the host, ports with the host's TCP streams). */
import wait_for from "../../../modules/wait_for.js";
import { runModuleCases } from "../../helpers/module-tester.js";

runModuleCases(wait_for);
