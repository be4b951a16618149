// Extends the scaffolded config (.config/ is never edited by hand): the stock config only copies the
// root plugin's logos, so the nested data source and panel logos are copied here.
import path from 'path';
import CopyWebpackPlugin from 'copy-webpack-plugin';
import type { Configuration } from 'webpack';
import { merge } from 'webpack-merge';
import grafanaConfig, { type Env } from './.config/webpack/webpack.config';

const config = async (env: Env): Promise<Configuration> => {
  const baseConfig = await grafanaConfig(env);
  return merge(baseConfig, {
    module: {
      rules: [
        // The runbooks are bundled as text (src/components/runbooks/sources.ts) and rendered in the app.
        { test: /\.md$/, include: path.resolve(__dirname, 'docs/runbooks'), type: 'asset/source' },
      ],
    },
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
