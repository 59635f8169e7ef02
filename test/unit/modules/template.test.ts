import template from "../../../modules/template.js";
import { runModuleCases } from "../../helpers/module-tester.js";

runModuleCases(template);
