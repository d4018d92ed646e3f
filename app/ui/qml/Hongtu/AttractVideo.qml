import QtQuick
import QtMultimedia
import Hongtu.Models

// The attract-loop video, looping and silent: it has no AudioOutput, so no sound device is ever
// opened (nor hung on, on a terminal without one). `failed` makes AttractScreen fall back to its slideshow.
Item {
    id: root
    property bool failed: player.error !== MediaPlayer.NoError
    MediaPlayer {
        id: player
        source: App.attractVideo
        loops: MediaPlayer.Infinite
        videoOutput: output
        onErrorOccurred: (error, message) => console.warn("attract video:", message)
        Component.onCompleted: play()
    }
    VideoOutput {
        id: output
        anchors.fill: parent
        fillMode: VideoOutput.PreserveAspectCrop
    }
}
