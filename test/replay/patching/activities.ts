// The one activity the patching example's workflows call: it records the steps taken.
export interface StepActivities {
  step(name: string): Promise<string>;
}
