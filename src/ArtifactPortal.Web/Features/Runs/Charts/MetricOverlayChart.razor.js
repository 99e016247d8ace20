// Draws a MetricOverlayChart with the plotly.js that Plotly.Blazor loads: its interop module is shared (same URL), so the
// 4.8 MB library is fetched and compiled once per page whichever chart asks first.
const interopUrl = new URL('_content/Plotly.Blazor/plotly-interop-7.2.0.js', document.baseURI).href;
const plotlyUrl = './_content/Plotly.Blazor/plotly-3.7.0.min.js';

async function plotly() {
    if (!window.Plotly) {
        const interop = await import(interopUrl);
        await interop.importScript('plotly-import', plotlyUrl);
        if (!window.Plotly) {
            // Another chart started the download; importScript answers before the script has run in that case.
            const script = document.getElementById('plotly-import');
            await new Promise((resolve, reject) => {
                script.addEventListener('load', resolve, { once: true });
                script.addEventListener('error', reject, { once: true });
            });
        }
    }

    return window.Plotly;
}

export async function draw(element, figure) {
    const Plotly = await plotly();
    if (!element.isConnected) {
        return;
    }

    const traces = [];
    for (const line of figure.lines) {
        traces.push({
            type: 'scatter', mode: 'lines', name: line.name, legendgroup: line.name, x: line.x, y: line.y, connectgaps: false,
            line: { color: line.color, width: 1.5 }, hovertemplate: '%{x}<br>%{y:.8g}',
        });
        if (line.gapX.length > 0) {
            traces.push({
                type: 'scatter', mode: 'markers', name: `${line.name} (non-finite)`, legendgroup: line.name, showlegend: false,
                x: line.gapX, y: line.gapY, text: line.gapText, marker: { color: '#d32f2f', size: 9, symbol: 'x' },
                hovertemplate: '%{x}<br>%{text}',
            });
        }
    }

    const layout = {
        height: figure.height,
        margin: { l: 56, r: 16, t: 8, b: 44 },
        showlegend: true,
        legend: { orientation: 'h', y: -0.25 },
        hovermode: 'closest',
        xaxis: { title: { text: figure.xTitle }, type: 'linear' },
        yaxis: { type: 'linear' },
    };
    await Plotly.newPlot(element, traces, layout, { responsive: true, displaylogo: false });
}

export function dispose(element) {
    if (window.Plotly && element) {
        window.Plotly.purge(element);
    }
}
