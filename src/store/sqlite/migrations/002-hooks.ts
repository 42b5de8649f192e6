/** Migration 2: pre-provision hooks. A request queued behind hooks carries their token and their progress. */
export const sql = `
ALTER TABLE requests ADD COLUMN hooks_request_token TEXT;
-- HooksProgressEvent as clients see it (a JSON list, epoch-second times), rendered at each hook change.
ALTER TABLE requests ADD COLUMN hooks_progress TEXT;
-- CloudFormation ListHookResults finds a request by its HooksRequestToken.
CREATE UNIQUE INDEX requests_hooks_token ON requests (hooks_request_token) WHERE hooks_request_token IS NOT NULL;
`;
