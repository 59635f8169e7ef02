/**
 * Golden files for the template engine: each test/golden/template/<case>.njk is rendered with <case>.vars.yml as
 * the template module would, and compared with <case>.expected (UPDATE_GOLDEN=1 rewrites them).
 * The expected files were checked against ansible-core 2.14's template module (test/golden/template/README.md
 * lists the deliberate differences).
 */
import { test } from "node:test";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parseYaml } from "../../../engine/source/yaml.js";
import { renderFile } from "../../../engine/template/render.js";
import { assertGolden } from "../../helpers/golden.js";
import { repoRoot } from "../../helpers/rems-play.js";
import { NO_VAULT } from "../../../engine/vault/vault.js";

const dir = "test/golden/template";
const cases = readdirSync(join(repoRoot, dir)).filter((f) => f.endsWith(".njk")).map((f) => f.slice(0, -".njk".length));

test("there are golden cases", () => {
  if (cases.length < 10) throw new Error(`expected at least 10 golden template cases, found ${cases.length}`);
});

for (const name of cases) {
  test(`golden template ${name}`, () => {
    const varsFile = `${dir}/${name}.vars.yml`;
    const { data, errors } = parseYaml(readFileSync(join(repoRoot, varsFile), "utf8"), varsFile, NO_VAULT);
    if (errors[0]) throw errors[0];
    const vars = data as Record<string, unknown>;
    const template = join(repoRoot, dir, `${name}.njk`);
    const output = renderFile(readFileSync(template, "utf8"), template, vars, { task: `golden ${name}` });
    assertGolden(`${dir}/${name}.expected`, output);
  });
}
