import service_facts from "../../../modules/service_facts.js";
import { runModuleCases } from "../../helpers/module-tester.js";

runModuleCases(service_facts);
