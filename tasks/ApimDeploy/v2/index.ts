import { createTaskLibHost } from '../../common/host/task-lib-host';
import { runTask } from '../../common/host/run-task';
import { readSettings } from './settings';

// As in v1, the composition root (Azure SDK, identity, HTTP) loads only once the inputs are valid.
void runTask(createTaskLibHost(__dirname), readSettings, async (settings, ctx) => (await import('../task/execute-state')).executeDeclaredState(settings, ctx));
