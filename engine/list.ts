/** --list-hosts, --list-tasks and --list-tags (Ansible's layout). */
import type { Loaded } from "./execute/run.js";
import { playHosts } from "./execute/run.js";
import { selectByTags } from "./load/tags.js";
import { tasksOf } from "./execute/task-walk.js";

export function listPlays(
  loaded: Loaded,
  options: { limit: string | undefined; listHosts: boolean; listTasks: boolean; listTags: boolean; tags: readonly string[]; skipTags: readonly string[] },
): string {
  const lines: string[] = [];
  loaded.plays.forEach((play, i) => {
    lines.push(`play #${i + 1} (${play.hosts}): ${play.name}`);
    if (options.listHosts) {
      const hosts = playHosts(loaded.inventory, play, options.limit);
      lines.push(`  pattern: ${play.hosts}`, `  hosts (${hosts.length}):`, ...hosts.map((h) => `    ${h}`));
    }
    const tasks = tasksOf([...play.preTasks, ...play.roleTasks, ...play.tasks, ...play.postTasks]).filter((t) =>
      selectByTags(t.tags, options.tags, options.skipTags),
    );
    if (options.listTasks) {
      lines.push("  tasks:", ...tasks.map((t) => `    ${t.label}\tTAGS: [${t.tags.join(", ")}]`));
    }
    if (options.listTags) {
      const tags = [...new Set(tasks.flatMap((t) => t.tags))].sort();
      lines.push(`  TASK TAGS: [${tags.join(", ")}]`);
    }
  });
  return lines.join("\n") + "\n";
}
