import { pgPrivilegesFact } from "../../../modules/facts/pg-privileges.js";
import { runFactCases } from "../../helpers/module-tester.js";

runFactCases(pgPrivilegesFact);
