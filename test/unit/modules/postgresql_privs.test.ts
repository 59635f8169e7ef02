import module from "../../../modules/postgresql_privs.js";
import { runModuleCases } from "../../helpers/module-tester.js";

runModuleCases(module);
