// A refused or failed deployment step, reported to the user as its message plus the next step to take.

export class DeployError extends Error {
  constructor(
    message: string,
    readonly hint?: string,
  ) {
    super(message);
    this.name = 'DeployError';
  }
}
