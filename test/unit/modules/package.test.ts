import package_ from "../../../modules/package.js";
import { runModuleCases } from "../../helpers/module-tester.js";

runModuleCases(package_);
