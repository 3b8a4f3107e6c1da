// Step 3, once no workflow started before the deprecation is open: the call is removed and
// the code reads as if it had always been this way.
export { exampleWorkflow } from './2-changed-unpatched';
