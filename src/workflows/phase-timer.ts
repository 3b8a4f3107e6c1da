import { CancellationScope, sleep } from '@temporalio/workflow';

/**
 * One durable timer for one phase of an attempt (waiting for the first report, then for the
 * end of an answered call), in the spirit of the samples' UpdatableTimer: the phase may end
 * early on a report, and then the timer is cancelled rather than left to fire.
 */
export class PhaseTimer {
  private fired = false;
  private readonly scope = new CancellationScope();

  constructor(deadline: number, summary: string) {
    this.scope
      .run(() => sleep(Math.max(deadline - Date.now(), 1), { summary }))
      .then(
        () => void (this.fired = true),
        () => undefined, // cancelled because the phase ended first
      );
  }

  get expired(): boolean {
    return this.fired;
  }

  cancel(): void {
    if (!this.fired) this.scope.cancel();
  }
}
