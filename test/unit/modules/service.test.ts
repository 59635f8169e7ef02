import service from "../../../modules/service.js";
import { runModuleCases } from "../../helpers/module-tester.js";

runModuleCases(service);
