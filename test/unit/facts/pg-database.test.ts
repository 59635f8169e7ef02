import { pgDatabaseFact } from "../../../modules/facts/pg-database.js";
import { runFactCases } from "../../helpers/module-tester.js";

runFactCases(pgDatabaseFact);
