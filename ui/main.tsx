// Placeholder entry: replaced by the Preact app (issue: plugin UI and job runner).
import '@create-figma-plugin/ui/css/base.css'
document.getElementById('app')!.textContent = 'Luma Reframe'
