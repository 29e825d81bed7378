import { createTaskLibHost } from '../../common/host/task-lib-host';
import { runTask } from '../../common/host/run-task';
import { runJenkinsArtifactDownload } from '../task/main';
import { readSettings } from './settings';

void runTask(createTaskLibHost(__dirname), readSettings, runJenkinsArtifactDownload);
