import group from "../../../modules/group.js";
import { runModuleCases } from "../../helpers/module-tester.js";

runModuleCases(group);
