import { createTaskLibHost } from '../../common/host/task-lib-host';
import { runTask } from '../../common/host/run-task';
import { executeApiCheck } from '../task/run';
import { readSettings } from './settings';

void runTask(createTaskLibHost(__dirname), readSettings, executeApiCheck);
