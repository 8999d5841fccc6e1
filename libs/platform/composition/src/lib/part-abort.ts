/** Why a part's signal was aborted. */
export class PartAborted extends Error {
  constructor(readonly why: 'deadline' | 'sibling-failed' | 'request-aborted') {
    super(why === 'deadline' ? 'part deadline exceeded' : why === 'sibling-failed' ? 'a required part failed' : 'the inbound request was aborted');
    this.name = 'PartAborted';
  }
}
