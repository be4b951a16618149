// Extends the scaffolded config (.config/ is never edited by hand): the stock config only copies the
// root plugin's logos, so the nested data source and panel logos are copied here.
import CopyWebpackPlugin from 'copy-webpack-plugin';
import type { Configuration } from 'webpack';
import { merge } from 'webpack-merge';
import grafanaConfig, { type Env } from './.config/webpack/webpack.config';

const config = async (env: Env): Promise<Configuration> => {
  const baseConfig = await grafanaConfig(env);
  return merge(baseConfig, {
    plugins: [
      new CopyWebpackPlugin({
        patterns: [
          { from: 'datasource/img', to: 'datasource/img' },
          { from: 'panels/topology/img', to: 'panels/topology/img' },
        ],
      }),
    ],
  });
};

export default config;
