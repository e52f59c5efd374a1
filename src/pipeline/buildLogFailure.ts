// Where a failed build's log is worth opening at. A CodeBuild log is mostly set-up; what the user
// wants is the output of the command that failed, which CodeBuild frames with two agent lines:
//   [Container] <time> Running command <command, possibly over several lines>
//   …the command's output…
//   [Container] <time> Command did not exit successfully <the same command> exit status <n>

const RUNNING = /^\[Container\] \S+ \S+ Running command /;
const FAILED = /^\[Container\] \S+ \S+ Command did not exit successfully /;
const EXIT_STATUS = / exit status \d+\s*$/;

/**
 * The 0-based line where the output of the first failed command starts (the line after that
 * command's text), or its "Command did not exit successfully" line when the output cannot be
 * told apart; undefined when no command failed.
 */
export function failedCommandOutputLine(lines: readonly string[]): number | undefined {
  const failed = lines.findIndex((l) => FAILED.test(l));
  if (failed < 0) return undefined;
  // The failure line repeats the command; it ends where " exit status N" closes it.
  let end = failed;
  while (end < lines.length - 1 && !EXIT_STATUS.test(lines[end])) end++;
  // A command that ends in a newline (a YAML block scalar) puts " exit status N" on a line of its own.
  const commandLines = end - failed + (end > failed && /^\s*exit status \d+\s*$/.test(lines[end]) ? 0 : 1);
  for (let i = failed - 1; i >= 0; i--) {
    if (RUNNING.test(lines[i])) return Math.min(i + commandLines, failed);
  }
  return failed;
}
