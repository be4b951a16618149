import { DataSourcePlugin } from '@grafana/data';
import { PghaDataSource } from './datasource';
import { ConfigEditor } from './components/ConfigEditor';
import { QueryEditor } from './components/QueryEditor';
import { PghaOptions, PghaQuery } from './types';

export const plugin = new DataSourcePlugin<PghaDataSource, PghaQuery, PghaOptions>(PghaDataSource)
  .setConfigEditor(ConfigEditor)
  .setQueryEditor(QueryEditor);
