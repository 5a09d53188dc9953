import type { ProjectScaffolder } from '@caribou/ports';

export interface NewWorkflowResult {
  directory: string;
  files: string[];
  /** What the CLI prints: `Created new workflow in ./<name>`. */
  message: string;
}

/** `caribou new_workflow <name>`: a new project from the template in `parentDir/<name>`. */
export class NewWorkflowService {
  constructor(private readonly scaffolder: ProjectScaffolder) {}

  async create(workflowName: string, parentDir: string): Promise<NewWorkflowResult> {
    const created = await this.scaffolder.create(workflowName, parentDir);
    return { ...created, message: `Created new workflow in ./${workflowName}` };
  }
}
