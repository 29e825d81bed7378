import { createTaskLibHost } from '../../common/host/task-lib-host';
import { runTask } from '../../common/host/run-task';
import { executeGate } from '../task/gate-task';
import { readSettings } from './settings';

void runTask(createTaskLibHost(__dirname), readSettings, executeGate);
