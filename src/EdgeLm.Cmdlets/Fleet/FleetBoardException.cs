namespace EdgeLm.Cmdlets.Fleet;

/// <summary>A failure on one board of a fleet; its message starts with the board's name, so each error says where.</summary>
public sealed class FleetBoardException : Exception
{
    public FleetBoardException(string board, string message, Exception? inner = null)
        : base($"{board}: {message}", inner)
    {
        Board = board;
    }

    public string Board { get; }
}
