// Only the ECharts parts the wall uses (smaller bundle, less memory on a weeks-long page).
import * as echarts from 'echarts/core';
import { EffectScatterChart, LineChart, LinesChart, MapChart, ScatterChart } from 'echarts/charts';
import { GeoComponent, GridComponent, LegendComponent, VisualMapContinuousComponent } from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';

echarts.use([LineChart, MapChart, ScatterChart, EffectScatterChart, LinesChart, GeoComponent, GridComponent, LegendComponent, VisualMapContinuousComponent, CanvasRenderer]);

export { echarts };
