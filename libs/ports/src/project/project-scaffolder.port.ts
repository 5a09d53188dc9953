export interface ScaffoldedProject {
  /** Absolute directory created. */
  directory: string;
  /** Files written, relative to `directory`, sorted. */
  files: string[];
}

/** Creates a new workflow project from the bundled template (`caribou new_workflow <name>`). */
export interface ProjectScaffolder {
  /**
   * Writes `<parentDir>/<workflowName>`. Refuses an invalid workflow name and an existing
   * path before writing anything (`Workflow <name> already exists.`).
   */
  create(workflowName: string, parentDir: string): Promise<ScaffoldedProject>;
}

/** DI token for `ProjectScaffolder` (the shared `TOKENS` has `ProjectLoader`). */
export const PROJECT_SCAFFOLDER = Symbol.for('caribou.ProjectScaffolder');
