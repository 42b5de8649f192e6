/** Migration 3: an update keeps its patch, so the worker can apply it to the model as it stands (issue #11). */
export const sql = `
ALTER TABLE ccapi.requests ADD COLUMN patch_document text;
`;
