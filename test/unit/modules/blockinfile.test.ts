/**
 * blockinfile: the table of fixtures, then each of Ansible 2.14's own results (test/fixtures/blockinfile) redone by
 * the module on a real shell, twice: the file it leaves and what each run reports are Ansible's.
 */
import blockinfile from "../../../modules/blockinfile.js";
import { testAsAnsible } from "../../helpers/edit-oracle.js";
import { runModuleCases } from "../../helpers/module-tester.js";

runModuleCases(blockinfile);
testAsAnsible(blockinfile, "blockinfile");
