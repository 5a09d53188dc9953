export * from './validate-project.service';
export * from './new-workflow.service';
