import QtQuick
import QtQuick.Controls.Basic
import QtQuick.Layouts
import Hongtu
import Hongtu.Models

// One exhibit: a swipeable picture gallery and related exhibits on the left; title, period, hall,
// themes and the rich body text on the right.
ScreenPage {
    id: page
    objectName: "screen-exhibit"
    screenName: "exhibit"
    property string exhibitId: ""
    title: detail.title

    ExhibitDetail { id: detail; exhibitId: page.exhibitId }

    // media (search & media engineer): the video first when there is one; pictures open full screen
    property bool showVideo: detail.videos.length > 0
    ImageViewer { id: imageViewer; images: detail.images }

    RowLayout {
        anchors.fill: parent
        anchors.margins: Theme.margin
        spacing: Theme.margin

        ColumnLayout {
            Layout.preferredWidth: Math.round((parent.width - Theme.margin) * 0.5)
            Layout.maximumWidth: Layout.preferredWidth
            Layout.fillHeight: true
            spacing: Theme.gap

            Row {
                objectName: "mediaSwitch"
                visible: detail.videos.length > 0
                spacing: Theme.px(14)
                Chip { objectName: "showVideo"; text: "▶ " + qsTr("Video"); selected: page.showVideo; onClicked: page.showVideo = true }
                Chip { objectName: "showPictures"; visible: detail.images.length > 0; text: qsTr("Pictures (%1)").arg(detail.images.length); selected: !page.showVideo; onClicked: page.showVideo = false }
            }
            // gallery
            Rectangle {
                Layout.fillWidth: true
                Layout.fillHeight: true
                Layout.minimumHeight: Theme.px(300)
                color: Theme.redDark
                radius: Theme.radius
                clip: true
                ListView {
                    id: gallery
                    objectName: "gallery"
                    anchors.fill: parent
                    anchors.margins: Theme.px(8)
                    orientation: ListView.Horizontal
                    snapMode: ListView.SnapOneItem
                    highlightRangeMode: ListView.StrictlyEnforceRange
                    highlightMoveDuration: 250
                    boundsBehavior: Flickable.StopAtBounds
                    clip: true
                    model: detail.images.length > 0 ? detail.images : (detail.found ? [{ source: "", caption: "", missing: true }] : [])
                    delegate: Item {
                        objectName: "galleryPage"
                        width: gallery.width
                        height: gallery.height
                        TapHandler { enabled: detail.images.length > 0; onTapped: imageViewer.show(index) }
                        SmartImage {
                            anchors { left: parent.left; right: parent.right; top: parent.top; bottom: caption.top; bottomMargin: Theme.px(8) }
                            source: modelData.source
                            label: modelData.caption !== "" ? modelData.caption : qsTr("No picture for this exhibit")
                            fillMode: Image.PreserveAspectFit
                        }
                        Text {
                            id: caption
                            anchors { left: parent.left; right: parent.right; bottom: parent.bottom; margins: Theme.px(8) }
                            text: modelData.caption
                            color: Theme.goldLight
                            font.family: Theme.fontFamily
                            font.pixelSize: Theme.fontSmall
                            horizontalAlignment: Text.AlignHCenter
                            wrapMode: Text.Wrap
                            maximumLineCount: 2
                            elide: Text.ElideRight
                        }
                    }
                }
                BigButton {
                    objectName: "galleryPrev"
                    visible: gallery.count > 1 && gallery.currentIndex > 0 && !page.showVideo  // not over the video
                    anchors { left: parent.left; verticalCenter: parent.verticalCenter; margins: Theme.px(12) }
                    kind: "header"; text: "‹"
                    onClicked: gallery.decrementCurrentIndex()
                }
                BigButton {
                    objectName: "galleryNext"
                    visible: gallery.count > 1 && gallery.currentIndex < gallery.count - 1 && !page.showVideo  // not over the video
                    anchors { right: parent.right; verticalCenter: parent.verticalCenter; margins: Theme.px(12) }
                    kind: "header"; text: "›"
                    onClicked: gallery.incrementCurrentIndex()
                }
                Row {
                    visible: gallery.count > 1
                    anchors { horizontalCenter: parent.horizontalCenter; top: parent.top; topMargin: Theme.px(14) }
                    spacing: Theme.px(10)
                    Repeater {
                        model: gallery.count
                        Rectangle {
                            width: Theme.px(14); height: width; radius: width / 2
                            color: index === gallery.currentIndex ? Theme.gold : "#80FFFFFF"
                        }
                    }
                }
                BigButton {
                    objectName: "galleryFullScreen"
                    visible: detail.images.length > 0 && !page.showVideo
                    anchors { right: parent.right; top: parent.top; margins: Theme.px(12) }
                    kind: "header"; text: "⤢"
                    onClicked: imageViewer.show(gallery.currentIndex)
                }
                VideoPlayer {
                    id: video
                    objectName: "exhibitVideo"
                    anchors.fill: parent
                    visible: page.showVideo && detail.videos.length > 0
                    source: detail.videos.length > 0 ? detail.videos[0].source : ""
                    missing: detail.videos.length > 0 && detail.videos[0].missing
                    caption: detail.videos.length > 0 ? detail.videos[0].caption : ""
                    poster: detail.images.length > 0 ? detail.images[0].source : ""
                }
            }

            // related exhibits
            SectionTitle { visible: detail.related.length > 0; text: qsTr("Related exhibits") }
            ListView {
                id: relatedRow
                visible: detail.related.length > 0
                Layout.fillWidth: true
                Layout.preferredHeight: Theme.touch + Theme.px(70)
                orientation: ListView.Horizontal
                spacing: Theme.px(14)
                clip: true
                model: detail.related
                delegate: AbstractButton {
                    width: Theme.px(360)
                    height: relatedRow.height
                    scale: down ? 0.97 : 1.0
                    onClicked: App.go("exhibit", { exhibitId: modelData.exhibitId })
                    background: Rectangle {
                        radius: Theme.radius; color: Theme.card
                        border.color: parent.down ? Theme.red : Theme.line
                        border.width: Math.max(2, Theme.px(2))
                    }
                    contentItem: Row {
                        spacing: Theme.px(12)
                        padding: Theme.px(8)
                        SmartImage { width: height * 1.3; height: relatedRow.height - Theme.px(16); source: modelData.thumb; label: "" }
                        Text {
                            width: Theme.px(360) - relatedRow.height * 1.3 - Theme.px(20)
                            anchors.verticalCenter: parent.verticalCenter
                            text: modelData.title
                            color: Theme.ink
                            font.family: Theme.fontFamily
                            font.pixelSize: Theme.fontSmall
                            font.bold: true
                            wrapMode: Text.Wrap
                            maximumLineCount: 3
                            elide: Text.ElideRight
                        }
                    }
                }
            }
        }

        // text
        Flickable {
            id: textFlick
            objectName: "exhibitText"
            Layout.preferredWidth: Math.round((parent.width - Theme.margin) * 0.5)
            Layout.fillWidth: true
            Layout.fillHeight: true
            contentWidth: width
            contentHeight: textCol.height + Theme.margin
            clip: true
            boundsBehavior: Flickable.DragOverBounds
            ScrollIndicator.vertical: ScrollIndicator { }
            Column {
                id: textCol
                width: textFlick.width
                spacing: Theme.gap
                Text {
                    visible: !detail.loading && !detail.found && page.exhibitId !== ""
                    width: parent.width
                    text: qsTr("This exhibit is not available.")
                    color: Theme.redBright
                    font.family: Theme.fontFamily
                    font.pixelSize: Theme.fontBody
                }
                Text {
                    width: parent.width
                    text: detail.title
                    color: Theme.red
                    font.family: Theme.titleFamily
                    font.pixelSize: Theme.fontTitle
                    font.bold: true
                    wrapMode: Text.Wrap
                }
                Flow {
                    width: parent.width
                    spacing: Theme.px(14)
                    Rectangle {
                        visible: detail.period !== ""
                        width: periodText.implicitWidth + Theme.px(32)
                        height: Theme.touch
                        radius: Theme.radius
                        color: Theme.red
                        Text {
                            id: periodText
                            anchors.centerIn: parent
                            text: detail.period
                            color: Theme.goldLight
                            font.family: Theme.fontFamily
                            font.pixelSize: Theme.fontBody
                            font.bold: true
                        }
                    }
                    Chip {
                        visible: detail.hallName !== ""
                        text: detail.hallName
                        onClicked: App.go("hall", { hallId: detail.hallId })
                    }
                }
                NarrationBar {
                    objectName: "exhibitNarration"
                    width: parent.width
                    visible: detail.found
                    exhibitId: page.exhibitId
                }
                Text {
                    width: parent.width
                    visible: detail.summary !== ""
                    text: detail.summary
                    color: Theme.inkSoft
                    font.family: Theme.fontFamily
                    font.pixelSize: Theme.fontLarge
                    wrapMode: Text.Wrap
                    lineHeight: 1.3
                }
                Rectangle { width: parent.width; height: Math.max(2, Theme.px(3)); color: Theme.gold }
                Text {
                    objectName: "exhibitBody"
                    width: parent.width
                    height: contentHeight  // rich text with lineHeight: implicitHeight falls short of it
                    text: detail.bodyHtml
                    textFormat: Text.RichText
                    color: Theme.ink
                    font.family: Theme.fontFamily
                    font.pixelSize: Theme.fontBody
                    wrapMode: Text.Wrap
                    lineHeight: 1.4
                }
                ExhibitLinksSection { width: parent.width; exhibitId: page.exhibitId }
            }
        }
    }
}
