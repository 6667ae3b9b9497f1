// Cart settings: only the shared ones (PORT, MONGODB_URI, LOG_LEVEL, SHUTDOWN_TIMEOUT_MS).
import { commonConfig } from '@shopfront/node-kit';

export const readConfig = (env) => commonConfig(env);
