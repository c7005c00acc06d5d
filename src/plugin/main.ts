// Placeholder entry: replaced by the main-thread implementation (issue: plugin skeleton).
figma.showUI(__html__, { width: 360, height: 480, themeColors: true })
