/** Migration 2: pre-provision hooks. A request queued behind hooks carries their token and their progress. */
export const sql = `
ALTER TABLE ccapi.requests ADD COLUMN hooks_request_token text;
-- HooksProgressEvent as clients see it (a JSON list, epoch-second times), rendered at each hook change.
ALTER TABLE ccapi.requests ADD COLUMN hooks_progress text;
-- CloudFormation ListHookResults finds a request by its HooksRequestToken.
CREATE UNIQUE INDEX requests_hooks_token ON ccapi.requests (hooks_request_token) WHERE hooks_request_token IS NOT NULL;
`;
