import user from "../../../modules/user.js";
import { runModuleCases } from "../../helpers/module-tester.js";

runModuleCases(user);
