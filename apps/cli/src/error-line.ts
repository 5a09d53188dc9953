/**
 * The one line of a refused command on stderr: `Error: …`, or `{"error": "…"}` under --json so
 * a script parses failures the way it parses results. Shared by main() (usage errors) and every
 * command (base-command).
 */
export function writeErrorLine(argv: readonly string[], message: string): void {
  process.stderr.write(argv.includes('--json') ? `${JSON.stringify({ error: message })}\n` : `Error: ${message}\n`);
}
