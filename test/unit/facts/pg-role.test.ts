import { pgRoleFact } from "../../../modules/facts/pg-role.js";
import { runFactCases } from "../../helpers/module-tester.js";

runFactCases(pgRoleFact);
