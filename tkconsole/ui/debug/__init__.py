"""The debugger's views: the variables pane, the stack and toolbar, breakpoint dots,
the stopped line; ``controller.Debugger`` joins them to the debug model."""
