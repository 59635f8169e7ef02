import timezone from "../../../modules/timezone.js";
import { runModuleCases } from "../../helpers/module-tester.js";

runModuleCases(timezone);
