import { createTaskLibHost } from '../../common/host/task-lib-host';
import { runTask } from '../../common/host/run-task';
import { readSettings } from './settings';

// The composition root (Azure SDK, identity, HTTP client) loads only once the inputs are valid:
// a run that fails on its inputs, and every run's start, skip parsing and initialising it.
void runTask(createTaskLibHost(__dirname), readSettings, async (settings, ctx) => (await import('../task/execute')).executeApimDeploy(settings, ctx));
