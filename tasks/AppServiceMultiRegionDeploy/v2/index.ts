import { createTaskLibHost } from '../../common/host/task-lib-host';
import { runTask } from '../../common/host/run-task';
import { executeAppServiceDeploy } from '../task/execute';
import { readSettings } from './settings';

void runTask(createTaskLibHost(__dirname), readSettings, executeAppServiceDeploy);
