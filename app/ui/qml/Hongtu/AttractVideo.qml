import QtQuick
import QtMultimedia
import Hongtu.Models

// The attract-loop video, looping and muted. `failed` makes AttractScreen fall back to its slideshow.
Item {
    id: root
    property bool failed: player.error !== MediaPlayer.NoError
    MediaPlayer {
        id: player
        source: App.attractVideo
        loops: MediaPlayer.Infinite
        videoOutput: output
        audioOutput: AudioOutput { muted: true }
        onErrorOccurred: (error, message) => console.warn("attract video:", message)
        Component.onCompleted: play()
    }
    VideoOutput {
        id: output
        anchors.fill: parent
        fillMode: VideoOutput.PreserveAspectCrop
    }
}
