import module from "../../../modules/postgresql_db.js";
import { runModuleCases } from "../../helpers/module-tester.js";

runModuleCases(module);
